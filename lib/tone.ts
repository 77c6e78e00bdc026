/** The colour families of the dashboard's badges, named here so that lib/ can pick one. */
export type Tone = "neutral" | "brand" | "green" | "amber" | "red" | "sky" | "orange" | "violet";

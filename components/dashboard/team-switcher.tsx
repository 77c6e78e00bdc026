"use client";

import { Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { DropdownMenu } from "radix-ui";

type TeamOption = { slug: string; name: string; role: string };

/** Switches between the teams a person belongs to, and starts a new one. */
export function TeamSwitcher({ current, teams }: { current: TeamOption; teams: TeamOption[] }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex w-full items-center gap-2.5 rounded-lg border border-zinc-200 bg-white px-2.5 py-2 text-left text-sm shadow-sm hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800"
      >
        <TeamAvatar name={current.name} />
        {/* Named by what it shows, so people who say what they see ("Moshi Demo, owner") reach it by voice. */}
        <span className="min-w-0 flex-1">
          <span className="sr-only">Switch team. Current team: </span>
          <span className="block truncate font-medium">{current.name}</span>
          <span className="block text-xs capitalize text-zinc-500 dark:text-zinc-400">{current.role.toLowerCase()}</span>
        </span>
        <ChevronsUpDown className="size-4 text-zinc-400" aria-hidden="true" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 min-w-60 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-zinc-500 dark:text-zinc-400">Teams</DropdownMenu.Label>
          {teams.map((team) => (
            <DropdownMenu.Item key={team.slug} asChild>
              <Link
                href={`/${team.slug}/inbox`}
                className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
              >
                <TeamAvatar name={team.name} small />
                <span className="flex-1 truncate">{team.name}</span>
                {team.slug === current.slug && <Check className="size-4 text-brand-600" aria-label="Current team" />}
              </Link>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <DropdownMenu.Item asChild>
            <Link
              href="/teams/new"
              className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
            >
              <Plus className="size-4" aria-hidden="true" />
              New team
            </Link>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function TeamAvatar({ name, small = false }: { name: string; small?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={`flex shrink-0 items-center justify-center rounded-md bg-brand-600 font-semibold text-white ${small ? "size-5 text-[10px]" : "size-8 text-xs"}`}
    >
      {initials(name)}
    </span>
  );
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? "?").slice(0, 2)).toUpperCase();
}

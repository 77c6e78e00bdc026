// The generic page-shaped placeholder while this page loads.
export { PageSkeleton as default } from "@/components/ui/skeleton";

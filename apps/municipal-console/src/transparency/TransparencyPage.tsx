export function TransparencyPage() {
  return null;
}

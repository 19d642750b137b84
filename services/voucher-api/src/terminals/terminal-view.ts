import type { Terminal } from '@voucher/db';

export interface TerminalView {
  address: string;
  providerId: number;
  label: string;
  status: Terminal['status'];
  createdAt: string;
  revokedAt: string | null;
}

export function toTerminalView(terminal: Terminal): TerminalView {
  return {
    address: terminal.address,
    providerId: terminal.providerId,
    label: terminal.label,
    status: terminal.status,
    createdAt: terminal.createdAt.toISOString(),
    revokedAt: terminal.revokedAt?.toISOString() ?? null,
  };
}

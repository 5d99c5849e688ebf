import type { Column } from '../components/resource-table';

/** The columns the gateway list and the enforcement table share. */
export const gatewayIdColumn = <T extends { gatewayId: string }>(): Column<T> => ({
  header: 'Gateway',
  cell: (g) => g.gatewayId,
  className: 'mono',
});

export const appliedVersionColumn = <T extends { appliedVersion: number }>(): Column<T> => ({
  header: 'Version applied',
  cell: (g) => g.appliedVersion,
});

import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { http, waitFor } from './http.js';

/** The cells of `row` by column header of `table`. */
export async function cellsOf(table: Locator, row: Locator): Promise<Record<string, string>> {
  await row.waitFor();
  const headers = (await table.getByRole('columnheader').allInnerTexts()).map((t) => t.trim());
  const cells = (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
}

/** Calls the PizzaShack menu at `gateway` with `key` in the `apikey` header until it answers `status` (10 s). */
export async function expectGatewayStatus(
  gateway: string,
  key: string,
  status: number,
  what: string,
): Promise<void> {
  const call = () => http(`${gateway}/pizzashack/1.0.0/menu`, { headers: { apikey: key } });
  let last = await call();
  await waitFor(async () => (last = await call()).status === status, 10_000, 200).catch(() =>
    assert.fail(`${what}: expected ${status}, got ${last.status} ${last.text}`),
  );
}

/**
 * The API key shown once in the open dialog `dialogName`: copied with its Copy button (the clipboard must hold
 * exactly the field's value), `beforeClose` run on the open dialog (an axe check), then the dialog is closed.
 */
export async function copyShownKey(
  page: Page,
  dialogName: string,
  beforeClose?: () => Promise<void>,
): Promise<string> {
  const dialog = page.getByRole('dialog', { name: dialogName });
  const field = dialog.getByLabel('API Key', { exact: true });
  await field.waitFor();
  await dialog.getByRole('button', { name: 'Copy API Key' }).click();
  await dialog.getByText('API Key copied to the clipboard').waitFor();
  const copied = await page.evaluate<string>('navigator.clipboard.readText()');
  assert.equal(copied, await field.inputValue());
  await beforeClose?.();
  await dialog.getByRole('button', { name: 'Done' }).click();
  return copied;
}

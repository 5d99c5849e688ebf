/** A form part: plain text, or a file (curl `-F name=@file`) with its file name and media type. */
export type FormPart = string | { file: string | Uint8Array; filename: string; type?: string };

/**
 * A `multipart/form-data` body as undici's FormData encodes it (what a browser or fetch sends), for `inject`.
 * Parts go in the given order; an array value sends the field once per item (tests only).
 * @example const { payload, headers } = await multipartBody({ file: { file: yaml, filename: 'openapi.yaml' } });
 */
export async function multipartBody(
  fields: Record<string, FormPart | FormPart[]>,
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields))
    for (const part of Array.isArray(value) ? value : [value]) {
      if (typeof part === 'string') form.append(name, part);
      else
        form.append(
          name,
          new Blob([part.file], { type: part.type ?? 'application/octet-stream' }),
          part.filename,
        );
    }
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  };
}

import type { Harness } from '../../../../test/support/control-plane-harness.js';
import { multipartBody, type FormPart } from '../../http/test-support/multipart-body.js';
import { adminAuth, PUB } from './publisher-fixtures.js';

/** The kind of file WSO2's docs upload: OpenAPI 3 in YAML, with WSO2 extensions (tests only). */
export const PETSTORE_YAML = `openapi: 3.0.1
info:
  title: Swagger Petstore
  description: |
    A sample API
    over two lines
  version: 1.0.5
servers:
  - url: https://petstore.example.com/v1
paths:
  /pet:
    post:
      security:
        - default: [write:pets]
      x-throttling-tier: 50KPerMin
      responses: { '200': { description: OK } }
  /pet/{petId}:
    get:
      x-auth-type: None
      responses: { '200': { description: OK } }
components:
  securitySchemes:
    default:
      type: oauth2
      flows:
        implicit:
          authorizationUrl: https://example.com/authorize
          scopes:
            write:pets: modify pets
          x-scopes-bindings:
            write:pets: admin
`;

/** The `additionalProperties` of the uploads, pretty-printed like a `data.json` file. */
export const ADDITIONAL = JSON.stringify(
  { name: 'PetstoreUpload', version: '1.0.5', context: '/petstore-upload', policies: ['Unlimited'] },
  null,
  2,
);

/** Sends `fields` as multipart/form-data to `url` (as admin unless `headers` say otherwise). */
export async function send(
  h: Harness,
  method: 'POST' | 'PUT',
  url: string,
  fields: Record<string, FormPart | FormPart[]>,
  headers = adminAuth,
) {
  const body = await multipartBody(fields);
  return h.app.inject({ method, url, headers: { ...headers, ...body.headers }, payload: body.payload });
}

/** A file part holding `text` (default PETSTORE_YAML), as `-F file=@openapi.yaml` sends it. */
export const yamlFile = (text = PETSTORE_YAML): FormPart => ({
  file: text,
  filename: 'openapi.yaml',
  type: 'application/x-yaml',
});
/** How many APIs the Publisher lists. */
export const apiCount = async (h: Harness) =>
  (await h.app.inject({ url: `${PUB}/apis`, headers: adminAuth })).json().count as number;

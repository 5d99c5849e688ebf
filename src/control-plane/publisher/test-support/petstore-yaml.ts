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

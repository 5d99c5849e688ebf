import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { testDialects } from '../../test/support/dialects.js';
import { createHarness } from '../../test/support/control-plane-harness.js';
import { MAX_ORDERS, pizzaShackBackend, PIZZASHACK_BACKEND_PATH } from './index.js';

/** The response body of WSO2's sample, copied verbatim from seed document 004 ("Invoke the API"). */
const SEED_MENU =
  '[{"name":"BBQ Chicken Bacon","description":"Grilled white chicken, hickory-smoked bacon and fresh sliced onions in barbeque sauce","price":"24.99","icon":"/images/6.png"},{"name":"Chicken Parmesan","description":"Grilled chicken, fresh tomatoes, feta and mozzarella cheese","price":"11.99","icon":"/images/1.png"},{"name":"Chilly Chicken Cordon Bleu","description":"Spinash Alfredo sauce topped with grilled chicken, ham, onions and mozzarella","price":"23.99","icon":"/images/10.png"},{"name":"Double Bacon 6Cheese","description":"Hickory-smoked bacon, Julienne cut Canadian bacon, Parmesan, mozzarella, Romano, Asiago and and Fontina cheese","price":"20.99","icon":"/images/9.png"},{"name":"Garden Fresh","description":"Slices onions and green peppers, gourmet mushrooms, black olives and ripe Roma tomatoes","price":"11.99","icon":"/images/3.png"},{"name":"Grilled Chicken Club","description":"Grilled white chicken, hickory-smoked bacon and fresh sliced onions topped with Roma tomatoes","price":"14.99","icon":"/images/8.png"},{"name":"Hawaiian BBQ Chicken","description":"Grilled white chicken, hickory-smoked bacon, barbeque sauce topped with sweet pine-apple","price":"12.99","icon":"/images/7.png"},{"name":"Spicy Italian","description":"Pepperoni and a double portion of spicy Italian sausage","price":"23.99","icon":"/images/2.png"},{"name":"Spinach Alfredo","description":"Rich and creamy blend of spinach and garlic Parmesan with Alfredo sauce","price":"25.99","icon":"/images/5.png"},{"name":"Tuscan Six Cheese","description":"Six cheese blend of mozzarella, Parmesan, Romano, Asiago and Fontina","price":"24.99","icon":"/images/4.png"}]';

const [dialect] = await testDialects();

test('pizzashack backend: /menu returns exactly the seed document menu', async () => {
  const h = await createHarness(await dialect!.open(), [pizzaShackBackend]);
  try {
    const res = await h.app.inject({ method: 'GET', url: `${PIZZASHACK_BACKEND_PATH}/menu` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.body, SEED_MENU);
    assert.equal(res.json().length, 10);
    assert.deepEqual(res.json(), JSON.parse(SEED_MENU));
  } finally {
    await h.close();
  }
});

test('pizzashack backend: order create, read, update, delete, errors', async () => {
  const h = await createHarness(await dialect!.open(), [pizzaShackBackend]);
  try {
    const base = `${PIZZASHACK_BACKEND_PATH}/order`;
    const created = await h.app.inject({
      method: 'POST',
      url: base,
      payload: {
        customerName: 'Ann',
        address: '1 Main St',
        pizzaType: 'Garden Fresh',
        quantity: 2,
        creditCardNumber: '4111 1111 1111 1234',
      },
    });
    assert.equal(created.statusCode, 201);
    const order = created.json();
    assert.match(order.orderId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(order, {
      customerName: 'Ann',
      address: '1 Main St',
      pizzaType: 'Garden Fresh',
      quantity: 2,
      delivered: false,
      creditCardNumber: '****1234',
      orderId: order.orderId,
    });
    assert.doesNotMatch(created.body, /4111/);
    assert.equal(created.headers.location, `${base}/${order.orderId}`);
    const got = await h.app.inject({ method: 'GET', url: `${base}/${order.orderId}` });
    assert.deepEqual(got.json(), order);
    const put = await h.app.inject({
      method: 'PUT',
      url: `${base}/${order.orderId}`,
      payload: { delivered: true, orderId: 'hijack' },
    });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json(), { ...order, delivered: true });
    const bad = await h.app.inject({ method: 'POST', url: base, payload: { quantity: 'many' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errorCode, 'VALIDATION_FAILED');
    const notObject = await h.app.inject({ method: 'POST', url: base, payload: [1] });
    assert.equal(notObject.statusCode, 400);
    const del = await h.app.inject({ method: 'DELETE', url: `${base}/${order.orderId}` });
    assert.equal(del.statusCode, 200);
    const gone = await h.app.inject({ method: 'GET', url: `${base}/${order.orderId}` });
    assert.equal(gone.statusCode, 404);
    assert.equal((await h.app.inject({ method: 'PUT', url: `${base}/nope`, payload: {} })).statusCode, 404);
    assert.equal((await h.app.inject({ method: 'DELETE', url: `${base}/nope` })).statusCode, 404);
  } finally {
    await h.close();
  }
});

test('pizzashack backend: keeps at most MAX_ORDERS orders, dropping the oldest', async () => {
  const h = await createHarness(await dialect!.open(), [pizzaShackBackend]);
  try {
    const base = `${PIZZASHACK_BACKEND_PATH}/order`;
    const first = (await h.app.inject({ method: 'POST', url: base, payload: {} })).json().orderId;
    let last = '';
    for (let i = 0; i < MAX_ORDERS; i++)
      last = (await h.app.inject({ method: 'POST', url: base, payload: {} })).json().orderId;
    assert.equal((await h.app.inject({ method: 'GET', url: `${base}/${first}` })).statusCode, 404);
    assert.equal((await h.app.inject({ method: 'GET', url: `${base}/${last}` })).statusCode, 200);
  } finally {
    await h.close();
  }
});

test('pizzashack backend: served over real HTTP', async () => {
  const h = await createHarness(await dialect!.open(), [pizzaShackBackend]);
  try {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as AddressInfo).port;
    const res = await request(`http://127.0.0.1:${port}${PIZZASHACK_BACKEND_PATH}/menu`);
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), SEED_MENU);
  } finally {
    await h.close();
  }
});

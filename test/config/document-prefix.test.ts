import { loadConfig } from '../../config/config';

test('the 文号 series is 台督字 unless DUBAN_DOCUMENT_PREFIX names another; a bad one is refused by name', () => {
  expect(loadConfig({}).documents.prefix).toBe('台督字');
  expect(loadConfig({ DUBAN_DOCUMENT_PREFIX: '台政督字' }).documents.prefix).toBe('台政督字');
  expect(() => loadConfig({ DUBAN_DOCUMENT_PREFIX: '台督 字' })).toThrow(
    'DUBAN_DOCUMENT_PREFIX: DUBAN_DOCUMENT_PREFIX must be 1-10 characters without spaces, digits or brackets, e.g. 台督字',
  );
});

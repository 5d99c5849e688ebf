import { SelectField } from '../components/fields';
import { KEY_TYPE_LABELS, type KeyType } from './types';

const OPTIONS = (Object.keys(KEY_TYPE_LABELS) as KeyType[]).map((value) => ({
  value,
  label: KEY_TYPE_LABELS[value],
}));

/** The "Key type" select: Production or Sandbox. */
export function KeyTypeSelect(p: { value: KeyType; onChange(value: KeyType): void }) {
  return (
    <SelectField
      label="Key type"
      value={p.value}
      onChange={(v) => p.onChange(v as KeyType)}
      options={OPTIONS}
    />
  );
}

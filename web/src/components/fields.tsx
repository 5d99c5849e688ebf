import { useId, type ReactNode } from 'react';

interface FieldBase {
  label: string;
  error?: string | null;
  hint?: ReactNode;
  required?: boolean;
}

function Described({ id, error, hint }: { id: string; error?: string | null; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** The label; the required mark sits outside it so the accessible name stays the plain label text. */
function LabelRow({ id, label, required }: { id: string; label: string; required?: boolean }) {
  return (
    <div className="label-row">
      <label htmlFor={id}>{label}</label>
      {required ? (
        <span className="req" aria-hidden="true">
          *
        </span>
      ) : null}
    </div>
  );
}

const describedBy = (id: string, error?: string | null, hint?: ReactNode) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

type TextFieldProps = FieldBase & {
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'password' | 'email' | 'number' | 'url' | 'search';
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'url' | 'email';
  name?: string;
  readOnly?: boolean;
};

/** A labelled text input (or textarea) with hint and error text wired to it for assistive technology. */
export function TextField(p: TextFieldProps) {
  const id = useId();
  const common = {
    id,
    name: p.name,
    value: p.value,
    required: p.required,
    placeholder: p.placeholder,
    readOnly: p.readOnly,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': describedBy(id, p.error, p.hint),
  };
  return (
    <div className="field">
      <LabelRow id={id} label={p.label} required={p.required} />
      {p.multiline ? (
        <textarea {...common} rows={p.rows ?? 4} onChange={(e) => p.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={p.type ?? 'text'}
          autoComplete={p.autoComplete}
          inputMode={p.inputMode}
          onChange={(e) => p.onChange(e.target.value)}
        />
      )}
      <Described id={id} error={p.error} hint={p.hint} />
    </div>
  );
}

type SelectFieldProps = FieldBase & {
  value: string;
  onChange(value: string): void;
  options: readonly { value: string; label: string }[];
  /** Shown as an empty first option. */
  placeholder?: string;
};

/** A labelled native select. */
export function SelectField(p: SelectFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <LabelRow id={id} label={p.label} required={p.required} />
      <select
        id={id}
        value={p.value}
        required={p.required}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy(id, p.error, p.hint)}
        onChange={(e) => p.onChange(e.target.value)}
      >
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Described id={id} error={p.error} hint={p.hint} />
    </div>
  );
}

/** A checkbox with its label. */
export function CheckboxField(p: {
  label: string;
  checked: boolean;
  onChange(v: boolean): void;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        checked={p.checked}
        aria-describedby={p.hint ? `${id}-hint` : undefined}
        onChange={(e) => p.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{p.label}</label>
      {p.hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A group of checkboxes for a set of values. */
export function CheckboxGroup(p: {
  legend: string;
  options: readonly { value: string; label: string }[];
  values: readonly string[];
  onChange(values: string[]): void;
  error?: string | null;
}) {
  const id = useId();
  const toggle = (v: string, on: boolean) =>
    p.onChange(on ? [...p.values, v] : p.values.filter((x) => x !== v));
  return (
    <fieldset className="group" aria-describedby={p.error ? `${id}-error` : undefined}>
      <legend>{p.legend}</legend>
      <div className="group-options">
        {p.options.map((o) => (
          <CheckboxField
            key={o.value}
            label={o.label}
            checked={p.values.includes(o.value)}
            onChange={(on) => toggle(o.value, on)}
          />
        ))}
      </div>
      {p.error ? (
        <p className="field-error" id={`${id}-error`}>
          {p.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A radio group with a legend. */
export function RadioGroup(p: {
  legend: string;
  value: string;
  onChange(value: string): void;
  options: readonly { value: string; label: string }[];
}) {
  const name = useId();
  return (
    <fieldset className="group">
      <legend>{p.legend}</legend>
      <div className="group-options">
        {p.options.map((o) => (
          <div className="check" key={o.value}>
            <input
              id={`${name}-${o.value}`}
              type="radio"
              name={name}
              value={o.value}
              checked={p.value === o.value}
              onChange={() => p.onChange(o.value)}
            />
            <label htmlFor={`${name}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

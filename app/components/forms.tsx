// Small form helpers: a label, the input, and its error, wired for screen readers.
type Errors = Partial<Record<string, string | undefined>>;
type Values = Partial<Record<string, unknown>>;

type FieldProps = {
  name: string;
  label: string;
  values?: Values;
  errors?: Errors;
  hint?: string;
  /** Prefix of the element ids (`<prefix><name>`, `<prefix><name>-error`); pages with several forms keep them apart. */
  idPrefix?: string;
};

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** The wrapper every field shares: label, optional hint, the control, and the error it points at. */
export function LabelledField(props: FieldProps & { children: (a11y: { id: string; error: string | undefined; defaultValue: string | undefined }) => React.ReactNode }) {
  const error = props.errors?.[props.name];
  const id = `${props.idPrefix ?? 'f-'}${props.name}`;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {props.children({ id, error, defaultValue: str(props.values?.[props.name]) })}
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    type?: 'text' | 'email' | 'url' | 'number' | 'date';
    maxLength?: number;
    required?: boolean;
    autoComplete?: string;
  },
) {
  return (
    <LabelledField {...props}>
      {({ id, error, defaultValue }) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          maxLength={props.maxLength}
          autoComplete={props.autoComplete}
          defaultValue={defaultValue}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
          required={props.required}
        />
      )}
    </LabelledField>
  );
}

export function TextArea(props: FieldProps & { rows?: number; maxLength?: number }) {
  return (
    <LabelledField {...props}>
      {({ id, error, defaultValue }) => (
        <textarea
          id={id}
          name={props.name}
          rows={props.rows ?? 6}
          maxLength={props.maxLength}
          defaultValue={defaultValue}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
        />
      )}
    </LabelledField>
  );
}

export function SelectField(
  props: FieldProps & {
    options: ReadonlyArray<{ value: string; label: string }>;
    /** A first, empty choice (value ""), e.g. "Choose…", so nothing is picked for the visitor. */
    placeholder?: string;
  },
) {
  return (
    <LabelledField {...props}>
      {({ id, error, defaultValue }) => (
        <select id={id} name={props.name} defaultValue={defaultValue} aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined}>
          {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </LabelledField>
  );
}

export function FormError({ errors }: { errors?: Errors }) {
  return errors?.form ? (
    <p className="form-error" role="alert">
      {errors.form}
    </p>
  ) : null;
}

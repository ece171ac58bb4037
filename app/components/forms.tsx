// Small form helpers for organiser pages: a label, the input, and its error, wired for screen readers.
type Errors = Partial<Record<string, string | undefined>>;
type Values = Partial<Record<string, unknown>>;

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

export function TextField(props: {
  name: string;
  label: string;
  values?: Values;
  errors?: Errors;
  type?: 'text' | 'email' | 'url' | 'number' | 'date';
  maxLength?: number;
  hint?: string;
  required?: boolean;
}) {
  const error = props.errors?.[props.name];
  const id = `f-${props.name}`;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        maxLength={props.maxLength}
        defaultValue={str(props.values?.[props.name])}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        required={props.required}
      />
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextArea(props: { name: string; label: string; values?: Values; errors?: Errors; rows?: number; maxLength?: number; hint?: string }) {
  const error = props.errors?.[props.name];
  const id = `f-${props.name}`;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        defaultValue={str(props.values?.[props.name])}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function FormError({ errors }: { errors?: Errors }) {
  return errors?.form ? (
    <p className="form-error" role="alert">
      {errors.form}
    </p>
  ) : null;
}

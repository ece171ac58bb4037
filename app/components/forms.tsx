// Form handling shared by every form: one hook that validates with the form's schema in the browser
// (the same schema the action parses with), and the labelled fields that show its errors.
import { useEffect, useMemo, useRef, useState, type FocusEvent, type FormEvent } from 'react';
import type * as core from 'zod/v4/core';
import { formFields, formInput, validateValues, type FieldErrors } from '../validation/forms.ts';

type Errors = Partial<Record<string, string | undefined>>;
type Values = Partial<Record<string, unknown>>;

/** The first field with an error, in the order the errors came (the schema's, which follows the form's). */
function firstInvalid(errors: Errors | undefined): string | undefined {
  return Object.keys(errors ?? {}).find((key) => key !== 'form' && errors?.[key]);
}

/** The name of the control an event came from ('' for anything else). */
function fieldName(target: EventTarget): string {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement ? target.name : '';
}

function focusFirstInvalid(form: HTMLFormElement | null) {
  const field = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  field?.focus();
}

/**
 * Validates a form in the browser with its schema before anything is sent: on submit (an invalid form is
 * not sent, and the first invalid field gets the focus), when an edited field is left, and as a field with
 * an error is corrected. The errors from the server's answer replace those found here. Without JavaScript
 * the form posts as it is and the page comes back with the server's errors, the first invalid field focused.
 *
 * Spread `formProps` on the <Form> and pass `errors` to the fields.
 */
export function useFormValidation(schema: core.$ZodType, serverErrors?: Errors, options: { maxLength?: number } = {}) {
  const fields = useMemo(() => formFields(schema), [schema]);
  const formRef = useRef<HTMLFormElement>(null);
  const edited = useRef(new Set<string>());
  const [clientErrors, setClientErrors] = useState<Errors | null>(null);
  const [seenServerErrors, setSeenServerErrors] = useState(serverErrors);
  const [focusRequest, setFocusRequest] = useState(0);

  // A new answer from the server: its errors are shown, and its first invalid field is focused.
  if (seenServerErrors !== serverErrors) {
    setSeenServerErrors(serverErrors);
    setClientErrors(null);
    if (firstInvalid(serverErrors)) setFocusRequest((n) => n + 1);
  }
  useEffect(() => {
    if (focusRequest > 0) focusFirstInvalid(formRef.current);
  }, [focusRequest]);

  const errors: Errors = clientErrors ?? serverErrors ?? {};
  const validate = (form: HTMLFormElement) => validateValues(schema, formInput(new FormData(form), fields, options.maxLength));

  /** Shows or clears the error of one field, leaving the others as they are. */
  const judge = (form: HTMLFormElement, name: string) => {
    const result = validate(form);
    const message: string | undefined = result.success ? undefined : (result.errors as FieldErrors)[name];
    setClientErrors((shown) => {
      const current = shown ?? serverErrors ?? {};
      if (current[name] === message) return current;
      const next = { ...current };
      if (message) next[name] = message;
      else delete next[name];
      return next;
    });
  };

  const formProps = {
    ref: formRef,
    // The schema judges; the browser's own bubbles would say something else, in another language.
    noValidate: true,
    onSubmit(event: FormEvent<HTMLFormElement>) {
      const result = validate(event.currentTarget);
      if (result.success) {
        setClientErrors({});
        return;
      }
      event.preventDefault();
      setClientErrors(result.errors);
      setFocusRequest((n) => n + 1);
    },
    onChange(event: FormEvent<HTMLFormElement>) {
      const name = fieldName(event.target);
      if (!fields.includes(name)) return;
      edited.current.add(name);
      if (errors[name]) judge(event.currentTarget, name);
    },
    // Only fields the visitor has typed in are judged on the way out: tabbing through is not an error.
    onBlur(event: FocusEvent<HTMLFormElement>) {
      const name = fieldName(event.target);
      if (fields.includes(name) && edited.current.has(name)) judge(event.currentTarget, name);
    },
  };
  return { errors, formProps };
}

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

type A11y = {
  id: string;
  error: string | undefined;
  defaultValue: string | undefined;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  /** The first invalid field takes the focus when the page comes back with errors (also without JavaScript). */
  autoFocus: boolean | undefined;
};

function a11y(props: FieldProps): A11y {
  const error = props.errors?.[props.name];
  const id = `${props.idPrefix ?? 'f-'}${props.name}`;
  return {
    id,
    error,
    defaultValue: str(props.values?.[props.name]),
    'aria-invalid': !!error,
    'aria-describedby': error ? `${id}-error` : undefined,
    autoFocus: error && firstInvalid(props.errors) === props.name ? true : undefined,
  };
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p className="error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** The wrapper every field shares: label, optional hint, the control, and the error it points at. */
function LabelledField(props: FieldProps & { children: (a11y: A11y) => React.ReactNode }) {
  const field = a11y(props);
  const { id, error } = field;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {props.children(field)}
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** The attributes every control gets from its field: id, value, and what screen readers need. */
function controlProps({ id, defaultValue, autoFocus, ...aria }: A11y, name: string) {
  const { error: _error, ...attributes } = aria;
  return { id, name, defaultValue, autoFocus, ...attributes };
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
      {(field) => (
        <input {...controlProps(field, props.name)} type={props.type ?? 'text'} maxLength={props.maxLength} autoComplete={props.autoComplete} required={props.required} />
      )}
    </LabelledField>
  );
}

export function TextArea(props: FieldProps & { rows?: number; maxLength?: number }) {
  return <LabelledField {...props}>{(field) => <textarea {...controlProps(field, props.name)} rows={props.rows ?? 6} maxLength={props.maxLength} />}</LabelledField>;
}

export function SelectField(
  props: FieldProps & {
    options: ReadonlyArray<{ value: string; label: string }>;
    /** A first, empty choice (value ""), e.g. "Choose…", so nothing is picked for the visitor. */
    placeholder?: string;
    required?: boolean;
  },
) {
  return (
    <LabelledField {...props}>
      {(field) => (
        <select {...controlProps(field, props.name)} required={props.required}>
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

/** A checkbox with its text beside it, and its error below when it must be ticked. */
export function CheckboxField(props: Omit<FieldProps, 'label'> & { children: React.ReactNode; required?: boolean; textClassName?: string }) {
  const field = a11y({ ...props, label: '' });
  const { defaultValue, ...rest } = controlProps(field, props.name);
  return (
    <div className={field.error ? 'check-field invalid' : 'check-field'}>
      <label className="check">
        <input {...rest} type="checkbox" defaultChecked={defaultValue === 'on'} required={props.required} />
        <span className={props.textClassName}>{props.children}</span>
      </label>
      <ErrorText id={field.id} error={field.error} />
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

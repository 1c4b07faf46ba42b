export interface BasicAuth {
  username: string;
  password: string;
}

/**
 * A username and a password input side by side (the caller places them in its own row). onChange gets the whole
 * pair, missing halves as '', and which half the user edited.
 */
export function BasicAuthInputs(props: {
  value: BasicAuth | undefined;
  onChange: (auth: BasicAuth, edited: 'username' | 'password') => void;
  usernamePlaceholder: string;
  passwordPlaceholder: string;
  passwordDisabled?: boolean;
}) {
  const { value, onChange } = props;
  return (
    <>
      <input
        className="input grow"
        placeholder={props.usernamePlaceholder}
        value={value?.username ?? ''}
        onChange={(e) => onChange({ username: e.target.value, password: value?.password ?? '' }, 'username')}
      />
      <input
        className="input grow"
        type="password"
        placeholder={props.passwordPlaceholder}
        value={value?.password ?? ''}
        disabled={props.passwordDisabled}
        onChange={(e) => onChange({ username: value?.username ?? '', password: e.target.value }, 'password')}
      />
    </>
  );
}

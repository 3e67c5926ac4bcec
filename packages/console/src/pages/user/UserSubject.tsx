/** Whom a dialog acts on: the user's name, if any, then their email (or sub) in monospace. */
export function UserSubject({ name, id }: { name: string | undefined; id: string }) {
  return (
    <>
      {name ? <strong>{name}</strong> : null}
      {name ? " · " : null}
      <span className="mono">{id}</span>
    </>
  );
}

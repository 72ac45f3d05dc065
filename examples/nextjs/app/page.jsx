import Dashboard from "./Dashboard";

export default function Page() {
  return (
    <main>
      <h1>archit.us gateway · Next.js</h1>
      <Dashboard />
    </main>
  );
}

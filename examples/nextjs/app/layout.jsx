export const metadata = { title: "archit.us gateway · Next.js" };

/** A server component: it renders the page's shell; the gateway lives in client components. */
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

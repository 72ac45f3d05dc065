/** React binding (subpath `@architus/gateway-connection/react`). */
export { useObservable } from "./useObservable";

import type { ConnectionState, SessionState, SpectatingState } from "../shared";
import { useGateway } from "./GatewayProvider";
import { latest, useObservableStore } from "./observableStore";

/** `connection$` of the provider's client: null until the worker says (and on the server). */
export function useConnection(): ConnectionState | null {
  const client = useGateway();
  return useObservableStore(() => client.connection$, null, latest<ConnectionState>, [client]).value;
}

/** `session$` of the provider's client: null until the worker says (and on the server). */
export function useSession(): SessionState | null {
  const client = useGateway();
  return useObservableStore(() => client.session$, null, latest<SessionState>, [client]).value;
}

/** `spectating$` of the provider's client: null until the worker says (and on the server). */
export function useSpectating(): SpectatingState | null {
  const client = useGateway();
  return useObservableStore(() => client.spectating$, null, latest<SpectatingState>, [client]).value;
}

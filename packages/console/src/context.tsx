import { createContext, useContext } from "react";
import type { ApiClient } from "./api.ts";
import type { Session } from "./session.ts";
import type { Me, RoleInfo } from "./types.ts";

export interface AppServices {
  api: ApiClient;
  session: Session;
  me: Me;
  roles: RoleInfo[];
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error("useApp() outside <AppContext.Provider>");
  return services;
}

/** Where a session's address is, as shown in the session (device) item. */
export interface GeoLocation {
  city: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2 code, e.g. "US". */
  country: string;
}

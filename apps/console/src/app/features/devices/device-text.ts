import type { DeviceType, SessionDto } from '@sessions/api-client';

const DEVICE_ICONS: Record<DeviceType, string> = {
  desktop: 'desktop',
  mobile: 'mobile',
  tablet: 'tablet',
  unknown: 'devices',
};

export function deviceIcon(type: DeviceType): string {
  return DEVICE_ICONS[type] ?? 'devices';
}

/** "San Francisco, US" — or null for private, loopback or unknown addresses. */
export function placeOf(session: SessionDto): string | null {
  const location = session.location;
  if (!location) {
    return null;
  }
  return [location.city ?? location.region, location.country].filter(Boolean).join(', ');
}

/** "Chrome 130 · macOS 10.15 · 203.0.113.7": the details under a device's title. */
export function deviceDetails(session: SessionDto): string {
  return [session.browser, session.os, session.ip].filter(Boolean).join(' · ');
}

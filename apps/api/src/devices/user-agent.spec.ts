import { DeviceDescription, MAX_USER_AGENT_LENGTH, USER_AGENT_CACHE_SIZE, cachedUserAgentCount, describeUserAgent } from './user-agent';

const UNKNOWN: DeviceDescription = {
  deviceLabel: 'Unknown device',
  browser: null,
  os: null,
  deviceType: 'unknown',
};

describe('describeUserAgent', () => {
  // Real headers sent by current browsers (and a few non-browser clients).
  it.each<[string, string | null | undefined, DeviceDescription]>([
    [
      'Chrome on macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
      {
        deviceLabel: 'Chrome on macOS',
        browser: 'Chrome 130',
        os: 'macOS 10.15',
        deviceType: 'desktop',
      },
    ],
    [
      'Safari on macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
      {
        deviceLabel: 'Safari on macOS',
        browser: 'Safari 17',
        os: 'macOS 10.15',
        deviceType: 'desktop',
      },
    ],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      {
        deviceLabel: 'Safari on iPhone',
        browser: 'Safari 17',
        os: 'iOS 17.6',
        deviceType: 'mobile',
      },
    ],
    [
      'Chrome on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0.6723.90 Mobile/15E148 Safari/604.1',
      {
        deviceLabel: 'Chrome on iPhone',
        browser: 'Chrome 130',
        os: 'iOS 17.6',
        deviceType: 'mobile',
      },
    ],
    [
      'Safari on iPad',
      'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      {
        deviceLabel: 'Safari on iPad',
        browser: 'Safari 17',
        os: 'iOS 17.6',
        deviceType: 'tablet',
      },
    ],
    [
      'Firefox on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
      {
        deviceLabel: 'Firefox on Windows',
        browser: 'Firefox 132',
        os: 'Windows 10',
        deviceType: 'desktop',
      },
    ],
    [
      'Edge on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68',
      {
        deviceLabel: 'Edge on Windows',
        browser: 'Edge 130',
        os: 'Windows 10',
        deviceType: 'desktop',
      },
    ],
    [
      'Firefox on Linux',
      'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0',
      {
        deviceLabel: 'Firefox on Linux',
        browser: 'Firefox 131',
        os: 'Linux',
        deviceType: 'desktop',
      },
    ],
    [
      'Chrome on ChromeOS',
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
      {
        deviceLabel: 'Chrome on ChromeOS',
        browser: 'Chrome 130',
        os: 'ChromeOS 14541.0',
        deviceType: 'desktop',
      },
    ],
    [
      'Chrome on an Android phone (reduced UA)',
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36',
      {
        deviceLabel: 'Chrome on Android',
        browser: 'Chrome 130',
        os: 'Android 10',
        deviceType: 'mobile',
      },
    ],
    [
      'Chrome on a Pixel phone',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36',
      {
        deviceLabel: 'Chrome on Android',
        browser: 'Chrome 130',
        os: 'Android 14',
        deviceType: 'mobile',
      },
    ],
    [
      'Samsung Internet on a Galaxy Tab',
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36',
      {
        deviceLabel: 'Samsung Internet on Android',
        browser: 'Samsung Internet 26',
        os: 'Android 13',
        deviceType: 'tablet',
      },
    ],
    ['curl', 'curl/8.5.0', UNKNOWN],
    ['Postman', 'PostmanRuntime/7.42.0', UNKNOWN],
    ['garbage', 'asdf qwer zxcv \u0000\u00ff', UNKNOWN],
    ['empty', '', UNKNOWN],
    ['only spaces', '   ', UNKNOWN],
    ['null', null, UNKNOWN],
    ['undefined', undefined, UNKNOWN],
  ])('%s', (_name, ua, expected) => {
    expect(describeUserAgent(ua)).toEqual(expected);
  });

  it('ignores whatever follows the first 500 characters', () => {
    const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
    const padded = chrome.padEnd(MAX_USER_AGENT_LENGTH, ' ');
    // Past the cut the header claims Firefox; only the first 500 chars count.
    expect(describeUserAgent(`${padded} Firefox/132.0`)).toEqual(describeUserAgent(chrome));
  });

  it('stays fast on a huge header', () => {
    const started = performance.now();
    const result = describeUserAgent('Mozilla/5.0 ('.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(250);
    expect(result.deviceLabel).toEqual(expect.any(String));
  });

  describe('cache of parsed headers', () => {
    const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

    it('answers a repeated header the same, and the answer cannot be changed by a caller', () => {
      const first = describeUserAgent(chrome);
      const again = describeUserAgent(chrome);

      expect(again).toEqual({ deviceLabel: 'Chrome on macOS', browser: 'Chrome 130', os: 'macOS 10.15', deviceType: 'desktop' });
      expect(again).toEqual(first);
      expect(Object.isFrozen(again)).toBe(true);
      expect(Object.isFrozen(describeUserAgent(null))).toBe(true);
    });

    it('keys by what is parsed: surrounding spaces and text past the cut share the entry', () => {
      describeUserAgent(chrome);
      const before = cachedUserAgentCount();

      expect(describeUserAgent(`  ${chrome}  `)).toEqual(describeUserAgent(chrome));
      expect(describeUserAgent(`${chrome.padEnd(MAX_USER_AGENT_LENGTH, ' ')}tail`)).toEqual(describeUserAgent(chrome));
      expect(cachedUserAgentCount()).toBe(before);
    });

    it('stays bounded under a flood of distinct headers and still answers each one right', () => {
      for (let i = 0; i < USER_AGENT_CACHE_SIZE + 500; i++) {
        describeUserAgent(`Mozilla/5.0 (X11; Linux x86_64; rv:${i}.0) Gecko/20100101 Firefox/${i}.0`);
      }

      expect(cachedUserAgentCount()).toBe(USER_AGENT_CACHE_SIZE);
      // The first of the flood was evicted long ago: parsed again, same answer.
      expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:0.0) Gecko/20100101 Firefox/0.0')).toEqual({
        deviceLabel: 'Firefox on Linux',
        browser: 'Firefox 0',
        os: 'Linux',
        deviceType: 'desktop',
      });
      expect(describeUserAgent(chrome).deviceLabel).toBe('Chrome on macOS');
    });
  });
});

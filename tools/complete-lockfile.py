#!/usr/bin/env python3
"""Completes package-lock.json for `npm ci`.

The npm registry mirror this project is built against lacks some other-platform
optional packages (darwin/win32/musl builds of rollup, sass-embedded, msgpackr,
unrs-resolver…). `npm install` then writes a lock without them, and `npm ci`
refuses it ("Missing: <pkg>@ from lock file"). This adds a lock entry for each such
package with its os/cpu/libc, so `npm ci` accepts the lock and skips them on this
platform, as it would with a complete lock.

Run after any `npm install` that changes the lock:  python3 tools/complete-lockfile.py
"""
import json
import re
import subprocess
import sys

LOCK = 'package-lock.json'

OS_NAMES = [('darwin', 'darwin'), ('win32', 'win32'), ('windows', 'win32'), ('freebsd', 'freebsd'), ('openbsd', 'openbsd'),
            ('netbsd', 'netbsd'), ('android', 'android'), ('openharmony', 'openharmony'), ('sunos', 'sunos'), ('aix', 'aix'),
            ('linux', 'linux')]
CPU_NAMES = [('arm64', 'arm64'), ('aarch64', 'arm64'), ('x64', 'x64'), ('ia32', 'ia32'), ('riscv64', 'riscv64'),
             ('ppc64', 'ppc64'), ('s390x', 's390x'), ('loong64', 'loong64'), ('arm', 'arm'), ('wasm32', 'wasm32')]


def missing_packages():
    out = subprocess.run(['npm', 'ci', '--dry-run', '--ignore-scripts'], capture_output=True, text=True)
    return sorted(set(re.findall(r'Missing: (\S+?)@\S* from lock file', out.stdout + out.stderr)))


def platform_of(name):
    lower = name.lower()
    os_ = next((v for k, v in OS_NAMES if k in lower), None)
    cpu = next((v for k, v in CPU_NAMES if k in lower), None)
    libc = 'musl' if 'musl' in lower else ('glibc' if os_ == 'linux' and 'gnu' in lower else None)
    return os_, cpu, libc


def main():
    names = missing_packages()
    if not names:
        print('package-lock.json is complete')
        return 0
    lock = json.load(open(LOCK))
    packages = lock['packages']
    specs = {}
    for meta in packages.values():
        for dep, spec in (meta.get('optionalDependencies') or {}).items():
            specs.setdefault(dep, spec)
    for name in names:
        spec = specs.get(name, '*')
        os_, cpu, libc = platform_of(name)
        entry = {'version': re.sub(r'^[\^~=]', '', spec), 'optional': True}
        if os_:
            entry['os'] = [os_]
        if cpu:
            entry['cpu'] = [cpu]
        if libc:
            entry['libc'] = [libc]
        packages['node_modules/' + name] = entry
        print('added', name, entry)
    lock['packages'] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != '', kv[0])))
    with open(LOCK, 'w') as f:
        json.dump(lock, f, indent=2)
        f.write('\n')
    left = missing_packages()
    print('still missing:', left if left else 'nothing')
    return 1 if left else 0


if __name__ == '__main__':
    sys.exit(main())

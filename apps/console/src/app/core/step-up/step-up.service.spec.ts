import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Subject } from 'rxjs';
import { StepUp } from './step-up.service';

describe('StepUp', () => {
  const open = jest.fn();
  let closed: Subject<boolean | undefined>;

  /** The dialog opens once its chunk has loaded (a dynamic import). */
  const opened = async (times: number) => {
    for (let i = 0; i < 50 && open.mock.calls.length < times; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(open).toHaveBeenCalledTimes(times);
  };

  beforeEach(() => {
    open.mockReset();
    open.mockImplementation(() => {
      closed = new Subject();
      return { afterClosed: () => closed.asObservable() };
    });
    TestBed.configureTestingModule({ providers: [{ provide: MatDialog, useValue: { open } }] });
  });

  it('shares one dialog between calls refused together, and its outcome', async () => {
    const stepUp = TestBed.inject(StepUp);
    const first = stepUp.confirm(600);
    const second = stepUp.confirm(600);
    await opened(1);
    closed.next(true);
    closed.complete();
    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0][1]).toMatchObject({ data: { maxAgeSeconds: 600 } });
  });

  it('treats a dialog dismissed without an answer (Escape, backdrop) as cancelled, and asks again next time', async () => {
    const stepUp = TestBed.inject(StepUp);
    const first = stepUp.confirm(null);
    await opened(1);
    closed.next(undefined);
    closed.complete();
    await expect(first).resolves.toBe(false);
    const second = stepUp.confirm(null);
    await opened(2);
    closed.next(true);
    closed.complete();
    await expect(second).resolves.toBe(true);
    expect(open).toHaveBeenCalledTimes(2);
  });
});

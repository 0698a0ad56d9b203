/**
 * Work the person is waiting for (requests from the page; navigations are read from
 * `$app/state` by the bar itself). `progress.start()` returns the function that ends it.
 */
class Progress {
  pending = $state(0);

  start(): () => void {
    this.pending += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending -= 1;
    };
  }

  /** Runs `work` counted as pending. */
  async track<T>(work: Promise<T>): Promise<T> {
    const done = this.start();
    try {
      return await work;
    } finally {
      done();
    }
  }
}

export const progress = new Progress();

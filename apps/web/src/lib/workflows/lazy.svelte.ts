import type { Component } from "svelte";

/**
 * A component imported the first time it is needed (a dialog behind a button), so the page's
 * first load does not carry it. `load()` resolves once it is there; `component` then renders it.
 */
export class LazyComponent<Props extends Record<string, unknown>, Bindings extends keyof Props & string = never> {
  component = $state<Component<Props, object, Bindings> | null>(null);
  #loading: Promise<void> | null = null;

  constructor(private readonly importer: () => Promise<{ default: unknown }>) {}

  load = (): Promise<void> => {
    this.#loading ??= this.importer().then((module) => {
      this.component = module.default as Component<Props, object, Bindings>;
    });
    return this.#loading;
  };
}

import type { SubmitFunction } from "@sveltejs/kit";
import { tick } from "svelte";

/**
 * Progressive enhancement for a form: `pending` while the action runs, then focus moves to the
 * first invalid field (or the form's alert) so keyboard and screen-reader users land on the error.
 */
export function pendingForm() {
  let pending = $state(false);
  const submit: SubmitFunction = () => {
    pending = true;
    return async ({ update, formElement }) => {
      try {
        await update();
      } finally {
        pending = false;
      }
      await tick();
      formElement.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus();
    };
  };
  return {
    get pending() {
      return pending;
    },
    submit,
  };
}

/**
 * What every workspace view (Cell, Compare, Failure map, CCD, GITT, Indentation) gets from the shell,
 * and what the shell needs from a view. Views never talk to each other: they share the library, the
 * analyses, the one selection store and the open dataset, all through this context.
 */
import type { ComputeHost } from '../host/compute-host';
import type { SelectionStore } from '../linking/selection-store';
import type { DatasetEdit, DatasetRecord, ExperimentRecord, Library } from '../storage/library-db';
import type { AnalysisService } from '../workspace/analysis-service';

export type ViewName = 'cell' | 'compare' | 'failure-map' | 'ccd' | 'gitt' | 'indentation';

/** The navigation bar, in order: `label` is the link's accessible name (an interface contract). */
export const VIEWS: readonly { readonly name: ViewName; readonly label: string }[] = [
  { name: 'cell', label: 'Cell' },
  { name: 'compare', label: 'Compare' },
  { name: 'failure-map', label: 'Failure map' },
  { name: 'ccd', label: 'CCD' },
  { name: 'gitt', label: 'GITT' },
  { name: 'indentation', label: 'Indentation' },
];

export function isViewName(value: unknown): value is ViewName {
  return typeof value === 'string' && VIEWS.some((v) => v.name === value);
}

export interface ViewContext {
  readonly host: ComputeHost;
  readonly library: Library;
  readonly analyses: AnalysisService;
  /** The one selection store (cycles, hovered cycle, time range, pulses, indents) of the open dataset. */
  readonly selection: SelectionStore;
  /** Live datasets, in library order. */
  records(): readonly DatasetRecord[];
  /** Live experiments. */
  experiments(): readonly ExperimentRecord[];
  /** The open dataset (chosen in the library or through a link); undefined when none. */
  current(): DatasetRecord | undefined;
  /** Opens a dataset, optionally in a given view (navigates there). */
  open(datasetId: string, view?: ViewName): Promise<void>;
  /** Changes a dataset's metadata or parameters (one transaction, undoable from the library). */
  editDataset(datasetId: string, edit: DatasetEdit, description: string): Promise<void>;
  /** This view's saved state (restored after a restart); undefined when none. */
  viewState<T>(view: ViewName): T | undefined;
  /** Saves this view's state (debounced, persisted in the library's settings). */
  saveViewState(view: ViewName, state: unknown): void;
  alert(message: string): void;
  notice(message: string): void;
}

export interface WorkspaceView {
  readonly name: ViewName;
  /** The view's page; the shell shows and hides it. */
  readonly element: HTMLElement;
  /**
   * Called when the view is shown and whenever the open dataset, the library or a dataset's metadata
   * changes while it is shown. Must be cheap when nothing the view shows has changed.
   */
  show(): Promise<void>;
  /** Called when another view is shown: stop work, keep state. */
  hide(): void;
}

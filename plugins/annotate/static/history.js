// Undo and redo for one label's shapes: snapshots of the whole list (small: at most 200 shapes).
const LIMIT = 200;

export class History {
  constructor() {
    this.past = [];
    this.future = [];
  }

  // Call before changing `shapes`.
  record(shapes) {
    this.past.push(JSON.stringify(shapes));
    if (this.past.length > LIMIT) this.past.shift();
    this.future = [];
  }

  undo(shapes) {
    if (!this.past.length) return null;
    this.future.push(JSON.stringify(shapes));
    return JSON.parse(this.past.pop());
  }

  redo(shapes) {
    if (!this.future.length) return null;
    this.past.push(JSON.stringify(shapes));
    return JSON.parse(this.future.pop());
  }
}

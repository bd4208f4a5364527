// Shows PDF files with pdf.js, served from our own origin (see core/pdf_viewer.html; no inline code anywhere).
// Every element with data-pdf-src gets one canvas per page, as wide as the element. A page is drawn when it comes
// near the screen and released when it is far from it, so that a long document stays light on a phone.
import { GlobalWorkerOptions, PDFWorker, getDocument } from "../vendor/pdfjs/pdf.min.mjs";

const VENDOR = new URL("../vendor/pdfjs/", import.meta.url);
GlobalWorkerOptions.workerSrc = new URL("pdf.worker.min.mjs", VENDOR).href;

// Past this a canvas is drawn at a lower resolution (a poster-sized page on a high-density screen).
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024;

let worker = null;

function sharedWorker() {
  worker ??= new PDFWorker({ name: "vanphong-pdf" });
  return worker;
}

class PdfViewer {
  constructor(container) {
    this.container = container;
    this.pages = [];
    this.failed = false;
    this.observer = new IntersectionObserver((entries) => this.onIntersection(entries), {
      rootMargin: "100% 0px",
    });
    this.resizeObserver = new ResizeObserver(() => this.onResize());
  }

  async open() {
    const { pdfSrc, pdfPageLabel = "" } = this.container.dataset;
    try {
      const pdf = await getDocument({
        url: new URL(pdfSrc, document.baseURI).href,
        worker: sharedWorker(),
        isEvalSupported: false,
        enableXfa: false,
        standardFontDataUrl: new URL("standard_fonts/", VENDOR).href,
        wasmUrl: new URL("wasm/", VENDOR).href,
      }).promise;
      const frames = [];
      for (let number = 1; number <= pdf.numPages; number += 1) {
        const page = await pdf.getPage(number);
        const { width, height } = page.getViewport({ scale: 1 });
        const frame = document.createElement("div");
        frame.className = "pdf-page bg-white border shadow-sm mb-3";
        frame.style.aspectRatio = `${width} / ${height}`; // CSSOM, not a style attribute: allowed by the policy
        const canvas = document.createElement("canvas");
        // Hidden until drawn: pdf.js draws on an opaque canvas, black before its first stroke.
        canvas.className = "d-block w-100 h-100 invisible";
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", `${pdfPageLabel} ${number}/${pdf.numPages}`.trim());
        frame.append(canvas);
        frames.push(frame);
        this.pages.push({ page, frame, canvas, visible: false, drawnWidth: 0, task: null });
      }
      this.container.replaceChildren(...frames);
      this.container.setAttribute("aria-busy", "false");
      this.pages.forEach((entry) => this.observer.observe(entry.frame));
      this.resizeObserver.observe(this.container);
    } catch (error) {
      this.fail(error);
    }
  }

  onIntersection(entries) {
    for (const intersection of entries) {
      const entry = this.pages.find((candidate) => candidate.frame === intersection.target);
      entry.visible = intersection.isIntersecting;
      if (entry.visible) {
        this.draw(entry);
      } else {
        this.release(entry);
      }
    }
  }

  onResize() {
    cancelAnimationFrame(this.resizeFrame);
    this.resizeFrame = requestAnimationFrame(() => {
      this.pages.filter((entry) => entry.visible).forEach((entry) => this.draw(entry));
    });
  }

  async draw(entry) {
    const width = entry.frame.clientWidth;
    if (this.failed || !width || entry.drawnWidth === width) {
      return;
    }
    entry.task?.cancel();
    const unscaled = entry.page.getViewport({ scale: 1 });
    let scale = (width / unscaled.width) * (window.devicePixelRatio || 1);
    const pixels = unscaled.width * unscaled.height * scale * scale;
    if (pixels > MAX_CANVAS_PIXELS) {
      scale *= Math.sqrt(MAX_CANVAS_PIXELS / pixels);
    }
    const viewport = entry.page.getViewport({ scale });
    entry.canvas.classList.add("invisible");
    entry.canvas.width = Math.floor(viewport.width);
    entry.canvas.height = Math.floor(viewport.height);
    entry.drawnWidth = width;
    const task = entry.page.render({ canvas: entry.canvas, viewport });
    entry.task = task;
    try {
      await task.promise;
      entry.canvas.classList.remove("invisible");
      entry.canvas.dataset.pdfDrawn = "true";
    } catch (error) {
      if (error?.name !== "RenderingCancelledException") {
        this.fail(error);
      }
    } finally {
      if (entry.task === task) {
        entry.task = null;
      }
    }
  }

  release(entry) {
    entry.task?.cancel();
    entry.task = null;
    entry.drawnWidth = 0;
    entry.canvas.classList.add("invisible");
    entry.canvas.width = 0;
    entry.canvas.height = 0;
    delete entry.canvas.dataset.pdfDrawn;
  }

  fail(error) {
    if (this.failed) {
      return;
    }
    this.failed = true;
    this.observer.disconnect();
    this.resizeObserver.disconnect();
    console.warn("PDF viewer:", error);
    const message = document.createElement("p");
    message.className = "alert alert-warning mb-0";
    message.setAttribute("role", "alert");
    message.textContent = this.container.dataset.pdfError || "";
    this.container.replaceChildren(message);
    this.container.setAttribute("aria-busy", "false");
    this.container.dataset.pdfFailed = "true";
  }
}

function start(root) {
  const containers = root.matches?.("[data-pdf-src]") ? [root] : root.querySelectorAll("[data-pdf-src]");
  for (const container of containers) {
    if (!container.dataset.pdfStarted) {
      container.dataset.pdfStarted = "true";
      new PdfViewer(container).open();
    }
  }
}

start(document);
// Content swapped in by htmx (e.g. an attachment opened in a panel) gets its viewer too.
document.addEventListener("htmx:load", (event) => start(event.detail.elt));

// The wall display (/monitor/wall) runs unattended: it never waits for a click or a visible tab, and reloads itself once
// the server is back (after a restart its circuit is gone).
const isWall = location.pathname.startsWith("/monitor/wall");
if (isWall) {
    document.body.classList.add("studio-wall-body");
}
let wallRetry = null;

// Set up event handlers
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        reconnectModal.showModal();
        if (isWall) {
            // Blazor's own attempts back off to long intervals while the server restarts: the wall asks the server
            // itself every few seconds, so it is live again (or reloaded) as soon as the server answers.
            keepRetrying();
        }
    } else if (event.detail.state === "hide") {
        stopRetrying();
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        if (isWall) {
            keepRetrying();
            return;
        }
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We have been able to reach the server, but the circuit is no longer available.
            // We'll reload the page so the user can continue using the app as quickly as possible.
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                location.reload();
            } else {
                reconnectModal.close();
            }
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}

function stopRetrying() {
    if (wallRetry !== null) {
        clearInterval(wallRetry);
        wallRetry = null;
    }
}

function keepRetrying() {
    if (wallRetry !== null) {
        return;
    }
    wallRetry = setInterval(async () => {
        try {
            const response = await fetch("/healthz/live", { cache: "no-store" });
            if (!response.ok) {
                return;
            }
            clearInterval(wallRetry);
            wallRetry = null;
            let successful = false;
            try {
                successful = await Blazor.reconnect();
            } catch {
                successful = false;
            }
            if (successful) {
                reconnectModal.close();
            } else {
                location.reload();
            }
        } catch {
            // Server still unreachable: try again at the next tick.
        }
    }, 3000);
}

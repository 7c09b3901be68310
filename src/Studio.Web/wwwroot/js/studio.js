// Small browser helpers for the studio. Loaded as a plain script (CSP: script-src 'self').
window.studio = {
    setCookie: function (name, value, days) {
        const expires = new Date(Date.now() + (days || 365) * 864e5).toUTCString();
        document.cookie = name + "=" + encodeURIComponent(value) + "; expires=" + expires + "; path=/; SameSite=Lax";
    },
    copyText: function (text) {
        return navigator.clipboard ? navigator.clipboard.writeText(text).then(() => true, () => false) : Promise.resolve(false);
    }
};

namespace Studio.Web.Model;

/// <summary>
/// Per-circuit preferences (dark mode, current workspace), seeded from cookies at the first render and written back
/// to cookies by the layout so that they survive reloads.
/// </summary>
public sealed class UserPreferences
{
    public const string ThemeCookie = "studio-theme";
    public const string WorkspaceCookie = "studio-workspace";

    public bool IsDarkMode { get; private set; }

    public string? CurrentWorkspace { get; private set; }

    public event Action? Changed;

    /// <summary>Seeds from the cookies read during the first (prerender) request; later calls are ignored.</summary>
    public void Seed(bool isDarkMode, string? workspace)
    {
        if (_seeded)
        {
            return;
        }

        _seeded = true;
        IsDarkMode = isDarkMode;
        CurrentWorkspace = string.IsNullOrWhiteSpace(workspace) ? null : workspace;
    }

    public void SetDarkMode(bool value)
    {
        IsDarkMode = value;
        Changed?.Invoke();
    }

    public void SetWorkspace(string? name)
    {
        CurrentWorkspace = name;
        Changed?.Invoke();
    }

    private bool _seeded;
}

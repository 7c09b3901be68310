namespace Studio.Web.Model;

/// <summary>
/// The addresses of workspace pages: every workspace-scoped page lives under <c>/w/{workspace}/</c>, so a link names
/// its workspace and opens the same page for everyone who may see it (the API's <c>/api/workspaces/{ws}/...</c> likewise).
/// </summary>
public static class WorkspaceRoutes
{
    /// <summary>The first segment of every workspace page's address.</summary>
    public const string Prefix = "/w/";

    /// <summary>The sections a workspace has, as the last segment of their list page's address.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["jobs", "compute", "data", "models", "environments", "endpoints"];

    public static string Root(string workspace) => Prefix + Uri.EscapeDataString(workspace);

    public static string Section(string workspace, string section) => $"{Root(workspace)}/{section}";

    public static string Jobs(string workspace) => Section(workspace, "jobs");

    public static string Job(string workspace, string name) => $"{Jobs(workspace)}/{Uri.EscapeDataString(name)}";

    public static string SubmitJob(string workspace) => $"{Jobs(workspace)}/new";

    public static string Compute(string workspace) => Section(workspace, "compute");

    public static string ComputeTarget(string workspace, string name) => $"{Compute(workspace)}/{Uri.EscapeDataString(name)}";

    public static string Environments(string workspace) => Section(workspace, "environments");

    public static string Endpoints(string workspace) => Section(workspace, "endpoints");

    public static string Data(string workspace) => Section(workspace, "data");

    public static string DataAsset(string workspace, string name) => $"{Data(workspace)}/{Uri.EscapeDataString(name)}";

    public static string Models(string workspace) => Section(workspace, "models");

    public static string Model(string workspace, string name) => $"{Models(workspace)}/{Uri.EscapeDataString(name)}";

    /// <summary>
    /// The workspace and section of a base-relative path (<c>w/vision/jobs/abc?tab=pods</c> → vision, jobs), or nulls
    /// when the path is not a workspace page.
    /// </summary>
    public static (string? Workspace, string? Section) Parse(string relativePath)
    {
        var path = relativePath.Split('?', '#')[0].TrimStart('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[0] != "w")
        {
            return (null, null);
        }

        return (Uri.UnescapeDataString(segments[1]), segments.Length > 2 ? segments[2] : null);
    }
}

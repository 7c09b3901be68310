namespace Studio.Web.Model;

/// <summary>What the workspace dialog edits.</summary>
public sealed class WorkspaceFormModel
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

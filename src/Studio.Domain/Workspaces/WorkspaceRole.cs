namespace Studio.Domain.Workspaces;

/// <summary>What a person may do in a workspace. Ordered: each role includes the ones below it.</summary>
public enum WorkspaceRole
{
    /// <summary>Sees everything in the workspace, changes nothing.</summary>
    Reader = 0,

    /// <summary>Runs jobs and endpoints in the workspace's compute targets.</summary>
    DataScientist = 1,

    /// <summary>IT operations: clusters, the extension, attach/detach, instance types, members.</summary>
    Administrator = 2,
}

namespace Studio.Domain.Jobs;

/// <summary>A training job and its cluster: which objects are its own, and what becomes of it when applying them fails.</summary>
public sealed partial class TrainingJob
{
    /// <summary>The reason of a Queued job whose objects could not be applied yet: the cluster did not answer, or asked to try later.</summary>
    public const string WaitingForCluster = "WaitingForCluster";

    /// <summary>
    /// Whether cluster objects with this job's Kubernetes name and the workspace-id label <paramref name="workspaceIdLabel"/>
    /// (null: none) are this job's: a job with a per-workspace name owns only objects labelled with its workspace; one
    /// recorded before (whose objects carry no such label) owns unlabelled ones. So a record never attaches to another
    /// workspace's objects.
    /// </summary>
    public bool Owns(string? workspaceIdLabel) =>
        workspaceIdLabel is null ? !HasWorkspaceUniqueName : string.Equals(workspaceIdLabel, WorkspaceLabelValue(WorkspaceId), StringComparison.Ordinal);

    /// <summary>The value of the workspace-id label on a workspace's job objects.</summary>
    public static string WorkspaceLabelValue(Guid workspaceId) => workspaceId.ToString("N");

    /// <summary>The cluster did not accept the job's objects: it fails at once, with the cluster's words.</summary>
    public void FailSubmit(string problem, DateTimeOffset at)
    {
        JobLifecycle.EnsureCanMove(State, JobState.Failed);
        var before = State;
        Enter(JobState.Failed, at, SubmitFailed);
        Reason = SubmitFailed;
        Message = Cut($"The cluster did not accept the job: {problem}", 4096);
        Hint = "Check the compute target's cluster connection, then re-run the job.";
        MarkEnded(at);
        Raise(JobChange.State, before, at);
    }

    /// <summary>
    /// Applying the job's objects failed for a reason that passes (the cluster unreachable, overloaded, or erring): it stays
    /// Queued with <see cref="WaitingForCluster"/> and the cluster's words, and is applied when the cluster answers. False
    /// when nothing users see changed (it is no longer Queued, or already waiting for the same reason).
    /// </summary>
    public bool WaitForCluster(string problem, DateTimeOffset at)
    {
        var message = Cut($"Waiting for the cluster: {problem} Studio applies the job as soon as the cluster answers.", 4096);
        if (State != JobState.Queued || (Reason == WaitingForCluster && Message == message))
        {
            return false;
        }

        Reason = WaitingForCluster;
        Message = message;
        Hint = "Nothing to do: the job is submitted as soon as its cluster can be reached. Cancel it to give up.";
        Raise(JobChange.Status, State, at);
        return true;
    }
}

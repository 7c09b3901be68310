namespace Studio.Domain.Jobs;

/// <summary>A training job whose image is built in the cluster first: it waits (Queued, its Job suspended) until the build ends.</summary>
public sealed partial class TrainingJob
{
    /// <summary>The reason of a Queued job waiting for its environment's image build.</summary>
    public const string BuildingEnvironment = "BuildingEnvironment";

    /// <summary>Whether the job waits for the build of its image (<see cref="Image"/>); its Job was applied suspended.</summary>
    public bool WaitsForEnvironmentBuild { get; private set; }

    /// <summary>At submit: the job's image is being built; it stays Queued (its Job suspended) until the build ends.</summary>
    public void WaitForEnvironmentBuild(DateTimeOffset at)
    {
        if (State != JobState.Queued)
        {
            throw new Common.DomainException($"Only a Queued job waits for its environment; this one is {State}.");
        }

        WaitsForEnvironmentBuild = true;
        Reason = BuildingEnvironment;
        Message = Cut($"Building environment (kaniko): the image {Image} is built in the cluster first; the job starts once it is pushed.", 4096);
        Hint = "Nothing to do: the build log is on the Code tab. Cancel the job to stop waiting.";
        Raise(JobChange.Status, State, at);
    }

    /// <summary>The image was built: the job's Job is resumed and the cluster says how it goes from here. False when it was not waiting.</summary>
    public bool EnvironmentBuilt(DateTimeOffset at)
    {
        if (!WaitsForEnvironmentBuild)
        {
            return false;
        }

        WaitsForEnvironmentBuild = false;
        if (State == JobState.Queued)
        {
            Reason = "Submitted";
            Message = $"The image {Image} was built; waiting for the cluster to schedule the pods.";
            Hint = null;
            Raise(JobChange.Status, State, at);
        }

        return true;
    }

    /// <summary>The build of the job's image failed: the job fails (<c>EnvironmentFailed</c>) with the build's sentence and log lines. False when it was not waiting or already ended.</summary>
    public bool FailEnvironmentBuild(string failure, DateTimeOffset at)
    {
        if (!WaitsForEnvironmentBuild || IsTerminal)
        {
            return false;
        }

        WaitsForEnvironmentBuild = false;
        var before = State;
        Enter(JobState.Failed, at, JobStatusMapping.EnvironmentFailed);
        Reason = JobStatusMapping.EnvironmentFailed;
        Message = Cut(failure, 4096);
        Hint = "Fix the Dockerfile or its context (the build log is on the Code tab), then submit the job again.";
        MarkEnded(at);
        Raise(JobChange.State, before, at);
        return true;
    }
}

namespace Studio.Domain.Jobs;

/// <summary>What an environment build is doing.</summary>
public enum EnvironmentBuildState
{
    /// <summary>Its builder runs in the cluster; jobs that need the image wait.</summary>
    Building,

    /// <summary>The image was pushed; every job that brings the same context runs with it.</summary>
    Succeeded,

    /// <summary>The build failed (or ran past its time); the next job that brings the context builds it again.</summary>
    Failed,
}

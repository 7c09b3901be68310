namespace Studio.Infrastructure.Jobs;

/// <summary>Image-name sanity: the image the job will run (after resolving a named environment), whether it is well formed, and warnings (no tag, :latest).</summary>
public sealed record ImageCheck(string? Image, bool Valid, IReadOnlyList<string> Warnings, string? Error);

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The code snapshot a job's pods fetch before the command starts: its id (tree hash), the space it needs unpacked, the signed URL of its zip
/// (read-only, this one file, expiring with the job) and the image of the fetch step.
/// </summary>
public sealed record JobCodePlan(string Snapshot, long VolumeBytes, string Url, string FetchImage);

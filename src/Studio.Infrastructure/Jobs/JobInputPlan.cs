namespace Studio.Infrastructure.Jobs;

/// <summary>
/// One data input as its pods fetch it: the URL (signed for a snapshot sent with the job, or the https URL given), the
/// folder it lands in, and whether it is a snapshot zip to unpack or a file to save as <see cref="FileName"/>.
/// </summary>
public sealed record JobInputPlan(string Name, string Url, string Folder, bool Unzip, string FileName);

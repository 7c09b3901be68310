namespace Studio.Web.Api;

/// <summary>The code a job was submitted with: the snapshot id, its size, and whether it was stored already (no upload).</summary>
public sealed record JobCodeView(string Snapshot, long SizeBytes, int Files, bool Reused, int IgnoredFiles);

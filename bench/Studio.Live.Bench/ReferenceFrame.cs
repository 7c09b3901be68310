namespace Studio.Live.Bench;

/// <summary>What a reference client parsed out of an <c>Update</c> message: snapshot or batch, and the bench changes (sequence numbers) it carries.</summary>
internal sealed record ReferenceFrame(bool IsSnapshot, long[] Seqs, int Changes);

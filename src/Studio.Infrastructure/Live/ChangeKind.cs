namespace Studio.Infrastructure.Live;

public enum ChangeKind
{
    Upsert,
    Delete,
}

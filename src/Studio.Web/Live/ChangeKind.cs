namespace Studio.Web.Live;

public enum ChangeKind
{
    Upsert,
    Delete,
}

using Studio.Domain.Jobs;
using Studio.Web.Model;

namespace Studio.Web.Tests.Jobs;

public sealed class JobListQueryTests
{
    [Fact]
    public void Parse_ThenToQuery_RoundTripsEveryFilter()
    {
        var query = JobListQuery.Parse("running", "gpu", "dana", "vision", "resnet", "name", "false", 3, 50);

        Assert.Equal([JobState.Running], query.States);
        var parameters = query.ToQuery();
        Assert.Equal("Running", parameters["status"]);
        Assert.Equal("gpu", parameters["compute"]);
        Assert.Equal("dana", parameters["submitter"]);
        Assert.Equal("vision", parameters["experiment"]);
        Assert.Equal("resnet", parameters["q"]);
        Assert.Equal("name", parameters["sort"]);
        Assert.Equal("false", parameters["desc"]);
        Assert.Equal("3", parameters["page"]);
        Assert.Equal("50", parameters["size"]);
    }

    [Fact]
    public void Parse_WhenValuesAreMalformed_FallsBackToDefaults()
    {
        var query = JobListQuery.Parse("Sleeping", " ", null, null, null, "drop table", null, -4, 7);

        Assert.Empty(query.States);
        Assert.Null(query.Compute);
        Assert.Equal("created", query.Sort);
        Assert.True(query.Descending);
        Assert.Equal(0, query.Page);
        Assert.Equal(JobListQuery.DefaultPageSize, query.PageSize);
        Assert.False(query.HasFilters);
        Assert.All(query.ToQuery().Values, Assert.Null);
    }

    [Fact]
    public void ToServiceQuery_UsesOneBasedPagesAndTheSortKey()
    {
        var query = JobListQuery.Parse("Failed", null, null, null, null, "duration", "true", 2, 50).ToServiceQuery();

        Assert.Equal(3, query.Page);
        Assert.Equal(50, query.PageSize);
        Assert.Equal(Studio.Infrastructure.Jobs.JobSort.Duration, query.Sort);
        Assert.Equal([JobState.Failed], query.Status!);
    }

    [Fact]
    public void Status_IsAnyOfACommaSeparatedList_KeptInStateOrder_IgnoringUnknownsAndDuplicates()
    {
        var query = JobListQuery.Parse("running, QUEUED,Sleeping,,running,7", null, null, null, null, null, null, null, null);

        Assert.Equal([JobState.Queued, JobState.Running], query.States);
        Assert.Equal("Queued,Running", query.ToQuery()["status"]);
        Assert.True(query.HasFilters);
        Assert.Equal([JobState.Running], JobListQuery.ParseStates("running,Sleeping,7", out var unknown));
        Assert.Equal(["Sleeping", "7"], unknown);
    }
}

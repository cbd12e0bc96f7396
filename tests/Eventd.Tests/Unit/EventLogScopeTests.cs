using Eventd.Gateway.Auth;
using Eventd.Gateway.EventLog;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Which event log a query reads: <c>?project=</c> and <c>?environment=</c>, as far as the key reaches.</summary>
public class EventLogScopeTests
{
    private static (EventLogScope? Scope, int Status, string? Error) ForQuery(string query, Caller? caller = null)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        caller?.AttachTo(context);
        return EventLogScope.ForQuery(context);
    }

    private static readonly Caller ProjectKey = new("shop", "staging", "shop-key", false);

    [Fact]
    public void Without_names_a_project_key_reads_its_own_project_and_environment()
    {
        Assert.Equal((new EventLogScope("shop", "staging", "shop-key"), 200, (string?)null), ForQuery("", ProjectKey));
    }

    [Fact]
    public void The_admin_key_reads_any_project_and_environment_named_and_production_by_default()
    {
        Assert.Equal(new EventLogScope("shop", "staging", "admin"), ForQuery("?project=shop&environment=staging", Caller.Admin).Scope);
        Assert.Equal(new EventLogScope("shop", "production", "admin"), ForQuery("?project=shop", Caller.Admin).Scope);
    }

    [Theory]
    [InlineData("?environment=production", 403, "environment: the key belongs to another environment than 'production'")]
    [InlineData("?project=other", 403, "project: the key belongs to another project than 'other'")]
    [InlineData("?environment=a&environment=b", 400, "environment: give it once")]
    [InlineData("?environment=no%20such", 400, "environment: must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit")]
    public void A_scope_the_key_does_not_reach_or_a_bad_name_is_refused(string query, int status, string error)
    {
        Assert.Equal(((EventLogScope?)null, status, error), ForQuery(query, ProjectKey));
    }
}

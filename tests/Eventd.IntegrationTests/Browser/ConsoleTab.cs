using System.Collections.Concurrent;
using PuppeteerSharp;

namespace Eventd.IntegrationTests.Browser;

/// <summary>
/// A browser tab on the console that records what went wrong in it: script errors thrown, errors logged
/// to the console (a failed load logs one too), and gateway answers of 400 and above.
/// </summary>
public sealed class ConsoleTab : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _problems = new();

    private ConsoleTab(IPage page)
    {
        Page = page;
        page.DefaultTimeout = (int)Deadline.TotalMilliseconds;
        page.PageError += (_, e) => _problems.Enqueue($"script error: {e.Message}");
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                _problems.Enqueue($"console error: {e.Message.Text} at {e.Message.Location?.URL}");
            }
        };
        page.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400)
            {
                _problems.Enqueue($"HTTP {(int)e.Response.Status} from {e.Response.Request.Method} {e.Response.Url}");
            }
        };
        page.RequestFailed += (_, e) => _problems.Enqueue($"request failed: {e.Request.Url} ({e.Request.FailureText})");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems => [.. _problems];

    public static async Task<ConsoleTab> OpenAsync(IBrowser browser, Uri gateway, string fragment = "")
    {
        var tab = new ConsoleTab(await browser.NewPageAsync());
        await tab.Page.GoToAsync(new Uri(gateway, "/console" + fragment).ToString(), WaitUntilNavigation.Load);
        return tab;
    }

    /// <summary>Waits, up to the deadline, for the element <paramref name="selector"/> to be shown; polls, never sleeps.</summary>
    public Task ShownAsync(string selector) => Page.WaitForSelectorAsync(selector, new WaitForSelectorOptions { Visible = true });

    public Task<T> EvaluateAsync<T>(string function, params object[] arguments) => Page.EvaluateFunctionAsync<T>(function, arguments);

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}

using PuppeteerSharp;

namespace Eventd.IntegrationTests.Browser;

/// <summary>
/// One headless Chromium for a test class: Debian's <c>chromium</c> (tests/run.sh installs it), driven
/// over the DevTools protocol. Never a downloaded browser: the machines that run the tests reach no browser CDN.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Overrides where Chromium is, for a machine that has it elsewhere than Debian puts it.</summary>
    public const string ExecutableVariable = "EVENTD_CHROMIUM";

    private static readonly string[] KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not started yet");

    public async Task InitializeAsync()
    {
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Executable(),

            // Tests run as root in CI, where Chromium's sandbox refuses to start; /dev/shm is small in containers.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            DefaultViewport = new ViewPortOptions { Width = 1280, Height = 1000 },
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            await _browser.DisposeAsync();
        }
    }

    private static string Executable() =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured ? configured
        : KnownPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"No Chromium at {string.Join(" or ", KnownPaths)}: tests/run.sh installs Debian's chromium, or set {ExecutableVariable}");
}

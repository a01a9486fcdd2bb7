package rules

import "testing"

func TestRequirementNames(t *testing.T) {
	text := "# core\nbcrypt>=4.0.0          # hashing\nFlask_Login==0.6\nuvicorn[standard]; python_version>'3.8'\n-r base.txt\n" +
		"\n[project]\ndependencies = [\"PyJWT>=2\", 'python.dotenv']\n[tool.poetry.dependencies]\nargon2-cffi = \"^23\"\n"
	got := requirementNames(text)
	for _, want := range []string{"bcrypt", "flask-login", "uvicorn", "pyjwt", "python-dotenv", "argon2-cffi"} {
		if !got[want] {
			t.Errorf("%s not read from the manifest (got %v)", want, got)
		}
	}
	for _, not := range []string{"r", "base-txt", "core", "hashing"} {
		if got[not] {
			t.Errorf("%s read as a requirement", not)
		}
	}
}

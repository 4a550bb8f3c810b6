/**
 * Passwords refused as too common: well-known entries of public breach top lists.
 * A module rather than a data file, so the bundled server (dist/server.mjs) carries it too.
 */
export const COMMON_PASSWORDS: readonly string[] = [
  '12345678', '123456789', '1234567890', '12345678910', '123123123', '11111111', '111111111', '1111111111',
  '00000000', '000000000', '0000000000', '87654321', '987654321', '9876543210', '11223344', '12341234',
  '12344321', '123qweasd', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y', '1qaz2wsx', '1qaz2wsx3edc',
  'zaq12wsx', 'zaq1zaq1', 'q1w2e3r4', 'q1w2e3r4t5', 'qwertyui', 'qwertyuiop', 'qwerty123', 'qwerty1234',
  'qwertyuiop123', 'asdfghjkl', 'asdfasdf', 'asdf1234', 'zxcvbnm123', 'zxcvbnmm', 'password', 'password1',
  'password12', 'password123', 'password1234', 'password!', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'p@ssword1', 'pa55word', 'pa$$word', 'mypassword', 'newpassword', 'changeme', 'changeme123', 'letmein1',
  'letmein123', 'welcome1', 'welcome123', 'welcome2024', 'welcome2025', 'welcome2026', 'iloveyou',
  'iloveyou1', 'iloveyou2', 'princess', 'princess1', 'sunshine', 'sunshine1', 'football', 'football1',
  'baseball', 'basketball', 'superman', 'batman123', 'starwars', 'pokemon123', 'computer', 'internet',
  'whatever', 'trustno1', 'michael1', 'jennifer', 'jordan23', 'charlie1', 'liverpool', 'chelsea1',
  'arsenal1', 'manchester', 'master123', 'dragon123', 'monkey123', 'shadow123', 'freedom1', 'abcd1234',
  'abc12345', 'abcdefgh', 'abcdefg1', 'aaaaaaaa', 'qqqqqqqq', '1234qwer', 'qwer1234', 'admin123',
  'admin1234', 'administrator', 'adminadmin', 'rootroot', 'root1234', 'guest123', 'user1234', 'test1234',
  'testtest', 'testing123', 'default1', 'secret123', 'letmein!', 'login123', 'access14', 'passport',
  'samsung1', 'spiderman', 'cookie123', 'chocolate', 'butterfly', 'elephant', 'lovelove', 'loveyou1',
  'blink182', '987654321a', 'a1234567', 'a12345678', 'aa123456', 'aa12345678', 'abc123456', 'qwe123456',
  '123456aa', '123456abc', '123456qwe', '12345qwert', '12345678a', '12345678q', '1234567a', '1234567q',
  '123456789a', '123456789q', 'q123456789', 'summer2024', 'summer2025', 'winter2024', 'spring2025',
  'autumn2025', 'company123', 'password1!', 'welcome1!', 'qwerty123!', 'aa123456!',
]
